/**
 * Code tables of the national real-name member field set (会员实名制, see
 * /work/shared/design/PRODUCT.md "Members") and of the member workflows
 * (online joining, transfers, record quality).
 *
 * Same conventions as ./codes: every table is an `as const` array of
 * `{ code, label }` rows in display order, with a zod enum (Chinese message)
 * and a type of its codes. Where a national standard defines the codes, the
 * codes and labels are the standard's, so that records exchange with other
 * systems unchanged. 性别, 证件类型, 就业状况 and the 会籍变化 tables are in
 * ./codes.
 */
import { codeEnum, type CodeOf } from './codes'

// ---------------------------------------------------------------------------
// The national field set

/**
 * 民族, GB/T 3304-1991 (中国各民族名称的罗马字母拼写法和代码): the 56 ethnic
 * groups in the standard's order, plus 97 and 98.
 */
export const ethnicities = [
  { code: '01', label: '汉族' },
  { code: '02', label: '蒙古族' },
  { code: '03', label: '回族' },
  { code: '04', label: '藏族' },
  { code: '05', label: '维吾尔族' },
  { code: '06', label: '苗族' },
  { code: '07', label: '彝族' },
  { code: '08', label: '壮族' },
  { code: '09', label: '布依族' },
  { code: '10', label: '朝鲜族' },
  { code: '11', label: '满族' },
  { code: '12', label: '侗族' },
  { code: '13', label: '瑶族' },
  { code: '14', label: '白族' },
  { code: '15', label: '土家族' },
  { code: '16', label: '哈尼族' },
  { code: '17', label: '哈萨克族' },
  { code: '18', label: '傣族' },
  { code: '19', label: '黎族' },
  { code: '20', label: '傈僳族' },
  { code: '21', label: '佤族' },
  { code: '22', label: '畲族' },
  { code: '23', label: '高山族' },
  { code: '24', label: '拉祜族' },
  { code: '25', label: '水族' },
  { code: '26', label: '东乡族' },
  { code: '27', label: '纳西族' },
  { code: '28', label: '景颇族' },
  { code: '29', label: '柯尔克孜族' },
  { code: '30', label: '土族' },
  { code: '31', label: '达斡尔族' },
  { code: '32', label: '仫佬族' },
  { code: '33', label: '羌族' },
  { code: '34', label: '布朗族' },
  { code: '35', label: '撒拉族' },
  { code: '36', label: '毛南族' },
  { code: '37', label: '仡佬族' },
  { code: '38', label: '锡伯族' },
  { code: '39', label: '阿昌族' },
  { code: '40', label: '普米族' },
  { code: '41', label: '塔吉克族' },
  { code: '42', label: '怒族' },
  { code: '43', label: '乌孜别克族' },
  { code: '44', label: '俄罗斯族' },
  { code: '45', label: '鄂温克族' },
  { code: '46', label: '德昂族' },
  { code: '47', label: '保安族' },
  { code: '48', label: '裕固族' },
  { code: '49', label: '京族' },
  { code: '50', label: '塔塔尔族' },
  { code: '51', label: '独龙族' },
  { code: '52', label: '鄂伦春族' },
  { code: '53', label: '赫哲族' },
  { code: '54', label: '门巴族' },
  { code: '55', label: '珞巴族' },
  { code: '56', label: '基诺族' },
  { code: '97', label: '其他未识别民族' },
  { code: '98', label: '外国血统中国籍人士' },
] as const
export type Ethnicity = CodeOf<typeof ethnicities>
export const zEthnicity = codeEnum(ethnicities, '民族')

/**
 * 学历, GB/T 4658-2006 (学历代码), flat, in the standard's order. The code is
 * hierarchical: rows whose code ends in 0 are the categories
 * (`category: true`), the others are the detailed 毕业 / 结业 / 肄业 rows;
 * {@link educationCategoryOf} gives a row's category. Both kinds are valid
 * values, since other systems export either.
 *
 * 30 大学专科教育 is the category row as most systems print it; some editions
 * of the table fold 大学专科 into 20 (大学本科/专科教育) instead. 31–33 are the
 * same either way.
 */
export const educations = [
  { code: '10', label: '研究生教育', category: true },
  { code: '11', label: '博士研究生毕业', category: false },
  { code: '12', label: '博士研究生结业', category: false },
  { code: '13', label: '博士研究生肄业', category: false },
  { code: '14', label: '硕士研究生毕业', category: false },
  { code: '15', label: '硕士研究生结业', category: false },
  { code: '16', label: '硕士研究生肄业', category: false },
  { code: '17', label: '研究生班毕业', category: false },
  { code: '18', label: '研究生班结业', category: false },
  { code: '19', label: '研究生班肄业', category: false },
  { code: '20', label: '大学本科教育', category: true },
  { code: '21', label: '大学本科毕业', category: false },
  { code: '22', label: '大学本科结业', category: false },
  { code: '23', label: '大学本科肄业', category: false },
  { code: '28', label: '大学普通班毕业', category: false },
  { code: '30', label: '大学专科教育', category: true },
  { code: '31', label: '大学专科毕业', category: false },
  { code: '32', label: '大学专科结业', category: false },
  { code: '33', label: '大学专科肄业', category: false },
  { code: '40', label: '中等职业教育', category: true },
  { code: '41', label: '中等专科毕业', category: false },
  { code: '42', label: '中等专科结业', category: false },
  { code: '43', label: '中等专科肄业', category: false },
  { code: '44', label: '职业高中毕业', category: false },
  { code: '45', label: '职业高中结业', category: false },
  { code: '46', label: '职业高中肄业', category: false },
  { code: '47', label: '技工学校毕业', category: false },
  { code: '48', label: '技工学校结业', category: false },
  { code: '49', label: '技工学校肄业', category: false },
  { code: '60', label: '普通高级中学教育', category: true },
  { code: '61', label: '普通高中毕业', category: false },
  { code: '62', label: '普通高中结业', category: false },
  { code: '63', label: '普通高中肄业', category: false },
  { code: '70', label: '初级中学教育', category: true },
  { code: '71', label: '初中毕业', category: false },
  { code: '73', label: '初中肄业', category: false },
  { code: '80', label: '小学教育', category: true },
  { code: '81', label: '小学毕业', category: false },
  { code: '83', label: '小学肄业', category: false },
  { code: '90', label: '其他', category: true },
] as const
export type Education = CodeOf<typeof educations>
export const zEducation = codeEnum(educations, '学历')

type EducationCategoryRow = Extract<(typeof educations)[number], { category: true }>
export type EducationCategory = EducationCategoryRow['code']

/** The category rows of {@link educations} (10, 20, 30, 40, 60, 70, 80, 90), for coarse statistics. */
export const educationCategories: readonly EducationCategoryRow[] = educations.filter((row): row is EducationCategoryRow => row.category)

const EDUCATION_CODES: ReadonlySet<string> = new Set(educations.map((row) => row.code))

/**
 * The category of a 学历 code: '21' → '20', '47' → '40', '20' → '20'.
 * Undefined for a code that is not in the table.
 */
export function educationCategoryOf(code: string | null | undefined): EducationCategory | undefined {
  if (code == null || !EDUCATION_CODES.has(code)) return undefined
  return (code[0] + '0') as EducationCategory
}

/**
 * 政治面貌, GB/T 4762-1984. `label` is the standard's short name, as forms
 * print it; `fullName` is the full name.
 */
export const politicalStatuses = [
  { code: '01', label: '中共党员', fullName: '中国共产党党员' },
  { code: '02', label: '中共预备党员', fullName: '中国共产党预备党员' },
  { code: '03', label: '共青团员', fullName: '中国共产主义青年团团员' },
  { code: '04', label: '民革党员', fullName: '中国国民党革命委员会会员' },
  { code: '05', label: '民盟盟员', fullName: '中国民主同盟盟员' },
  { code: '06', label: '民建会员', fullName: '中国民主建国会会员' },
  { code: '07', label: '民进会员', fullName: '中国民主促进会会员' },
  { code: '08', label: '农工党党员', fullName: '中国农工民主党党员' },
  { code: '09', label: '致公党党员', fullName: '中国致公党党员' },
  { code: '10', label: '九三学社社员', fullName: '九三学社社员' },
  { code: '11', label: '台盟盟员', fullName: '台湾民主自治同盟盟员' },
  { code: '12', label: '无党派人士', fullName: '无党派民主人士' },
  { code: '13', label: '群众', fullName: '群众' },
] as const
export type PoliticalStatus = CodeOf<typeof politicalStatuses>
export const zPoliticalStatus = codeEnum(politicalStatuses, '政治面貌')

/**
 * 技术等级: the five levels of 国家职业资格 (level 1 is the highest), then
 * 0 无. `shortLabel` is the level alone, for narrow table columns.
 */
export const skillLevels = [
  { code: '1', label: '职业资格一级(高级技师)', shortLabel: '高级技师' },
  { code: '2', label: '职业资格二级(技师)', shortLabel: '技师' },
  { code: '3', label: '职业资格三级(高级工)', shortLabel: '高级工' },
  { code: '4', label: '职业资格四级(中级工)', shortLabel: '中级工' },
  { code: '5', label: '职业资格五级(初级工)', shortLabel: '初级工' },
  { code: '0', label: '无', shortLabel: '无' },
] as const
export type SkillLevel = CodeOf<typeof skillLevels>
export const zSkillLevel = codeEnum(skillLevels, '技术等级')

/**
 * 户籍类型. 3 居民户口 is the unified registration that has replaced the
 * 农业 / 非农业 split since the 2014 reform; older records keep 1 or 2.
 */
export const householdTypes = [
  { code: '1', label: '农业户口' },
  { code: '2', label: '非农业户口' },
  { code: '3', label: '居民户口' },
  { code: '9', label: '其他' },
] as const
export type HouseholdType = CodeOf<typeof householdTypes>
export const zHouseholdType = codeEnum(householdTypes, '户籍类型')

// ---------------------------------------------------------------------------
// Membership

/**
 * Status of a membership. `retained` (保留会籍: retired, unemployed, unit
 * closed) owes no dues and has no vote; `reserve` is a 预备会员 parked in a
 * local union's pool until the unit has a union.
 */
export const memberStatuses = [
  { code: 'active', label: '在册' },
  { code: 'retained', label: '保留会籍' },
  { code: 'reserve', label: '预备会员' },
  { code: 'left', label: '已离会' },
] as const
export type MemberStatus = CodeOf<typeof memberStatuses>
export const zMemberStatus = codeEnum(memberStatuses, '会员状态')

/**
 * Quality of a member record (Beijing's definition: a record is 合格 when its
 * document number is valid, it has no duplicate and its required fields are
 * filled). 实名制录入率 = `ok` records ÷ members reported. A record with
 * several problems takes the first that applies, in table order after `ok`.
 */
export const memberQuality = [
  { code: 'ok', label: '合格', description: '证件号码有效、无重复、必填项齐全' },
  {
    code: 'invalid_document',
    label: '证件号码有误',
    description: '证件号码不符合该证件类型的编码规则（长度、出生日期或校验位错误）',
  },
  { code: 'duplicate', label: '重复', description: '同一证件号码已有会员记录，违反“一人一籍”' },
  { code: 'missing_fields', label: '必填项缺失', description: '实名制必填项未填写完整' },
] as const
export type MemberQuality = CodeOf<typeof memberQuality>
export const zMemberQuality = codeEnum(memberQuality, '会员信息质量')

// ---------------------------------------------------------------------------
// Online joining (网上入会)

/** Status of an application to join. */
export const applicationStatuses = [
  { code: 'pending', label: '待审核' },
  { code: 'need_info', label: '待补充材料' },
  { code: 'approved', label: '已通过' },
  { code: 'rejected', label: '未通过' },
  { code: 'withdrawn', label: '已撤回' },
] as const
export type ApplicationStatus = CodeOf<typeof applicationStatuses>
export const zApplicationStatus = codeEnum(applicationStatuses, '申请状态')

/**
 * Which union an application goes to: the unit's own union, else the joint
 * union covering the unit, else the local union's pool of 预备会员; 新就业形态
 * workers may also apply through their platform company's union or the
 * town's joint union for flexible workers.
 */
export const applicationRoutes = [
  { code: 'own_union', label: '本单位工会' },
  { code: 'joint_union', label: '所在联合工会' },
  { code: 'town_pool', label: '属地工会预备会员库' },
  { code: 'platform', label: '平台企业工会' },
  { code: 'flexible_joint', label: '镇街新就业形态联合工会' },
] as const
export type ApplicationRoute = CodeOf<typeof applicationRoutes>
export const zApplicationRoute = codeEnum(applicationRoutes, '入会途径')

// ---------------------------------------------------------------------------
// Transfers (会籍接转)

/** Status of a transfer of membership between unions. */
export const transferStatuses = [
  { code: 'pending', label: '待接收' },
  { code: 'accepted', label: '已接收' },
  { code: 'rejected', label: '已退回' },
  { code: 'cancelled', label: '已撤销' },
] as const
export type TransferStatus = CodeOf<typeof transferStatuses>
export const zTransferStatus = codeEnum(transferStatuses, '接转状态')

/** Who asked for a transfer. */
export const transferRequesters = [
  { code: 'from', label: '转出工会' },
  { code: 'to', label: '转入工会' },
  { code: 'member', label: '会员本人' },
] as const
export type TransferRequester = CodeOf<typeof transferRequesters>
export const zTransferRequester = codeEnum(transferRequesters, '接转发起方')
