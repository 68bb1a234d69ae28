import { test } from 'node:test'
import assert from 'node:assert/strict'
import { labelOf, optionsOf, type CodeRow } from './codes'
import * as memberCodes from './member-codes'
import {
  applicationRoutes,
  applicationStatuses,
  educationCategories,
  educationCategoryOf,
  educations,
  ethnicities,
  householdTypes,
  memberQuality,
  memberStatuses,
  politicalStatuses,
  skillLevels,
  transferRequesters,
  transferStatuses,
  zApplicationRoute,
  zApplicationStatus,
  zEducation,
  zEthnicity,
  zHouseholdType,
  zMemberQuality,
  zMemberStatus,
  zPoliticalStatus,
  zSkillLevel,
  zTransferRequester,
  zTransferStatus,
  type Education,
  type Ethnicity,
} from './member-codes'

interface Schema {
  safeParse(value: unknown): { success: boolean; error?: { issues: { message: string }[] } }
}

const tables: [name: string, table: readonly CodeRow[], schema: Schema, what: string][] = [
  ['ethnicities', ethnicities, zEthnicity, '民族'],
  ['educations', educations, zEducation, '学历'],
  ['politicalStatuses', politicalStatuses, zPoliticalStatus, '政治面貌'],
  ['skillLevels', skillLevels, zSkillLevel, '技术等级'],
  ['householdTypes', householdTypes, zHouseholdType, '户籍类型'],
  ['memberStatuses', memberStatuses, zMemberStatus, '会员状态'],
  ['memberQuality', memberQuality, zMemberQuality, '会员信息质量'],
  ['applicationStatuses', applicationStatuses, zApplicationStatus, '申请状态'],
  ['applicationRoutes', applicationRoutes, zApplicationRoute, '入会途径'],
  ['transferStatuses', transferStatuses, zTransferStatus, '接转状态'],
  ['transferRequesters', transferRequesters, zTransferRequester, '接转发起方'],
]

test('every table has unique codes and labels, and its zod enum accepts exactly its codes', () => {
  for (const [name, table, schema, what] of tables) {
    assert.ok(table.length > 0, name)
    assert.equal(new Set(table.map((r) => r.code)).size, table.length, `${name}: duplicate code`)
    assert.equal(new Set(table.map((r) => r.label)).size, table.length, `${name}: duplicate label`)
    for (const row of table) {
      assert.equal(schema.safeParse(row.code).success, true, `${name} ${row.code}`)
      assert.ok(row.label.length > 0)
    }
    const bad = schema.safeParse('not-a-code')
    assert.equal(bad.success, false)
    assert.equal(bad.error?.issues[0]?.message, `${what}无效`, name)
    // A label is not a code.
    assert.equal(schema.safeParse(table[0]!.label).success, false, name)
  }
  // Every table is exported with its enum (no table forgotten above).
  const exported = Object.entries(memberCodes).filter(([key, v]) => Array.isArray(v) && key !== 'educationCategories')
  assert.equal(exported.length, tables.length)
})

test('民族: the 56 groups of GB/T 3304-1991 with 2-digit codes, then 97 and 98', () => {
  assert.equal(ethnicities.length, 58)
  ethnicities.slice(0, 56).forEach((row, i) => {
    assert.equal(row.code, String(i + 1).padStart(2, '0'))
    assert.ok(row.label.endsWith('族'), row.label)
  })
  assert.equal(labelOf(ethnicities, '01'), '汉族')
  assert.equal(labelOf(ethnicities, '02'), '蒙古族')
  assert.equal(labelOf(ethnicities, '05'), '维吾尔族')
  assert.equal(labelOf(ethnicities, '08'), '壮族')
  assert.equal(labelOf(ethnicities, '11'), '满族')
  assert.equal(labelOf(ethnicities, '15'), '土家族')
  assert.equal(labelOf(ethnicities, '22'), '畲族')
  assert.equal(labelOf(ethnicities, '46'), '德昂族')
  assert.equal(labelOf(ethnicities, '56'), '基诺族')
  assert.equal(labelOf(ethnicities, '97'), '其他未识别民族')
  assert.equal(labelOf(ethnicities, '98'), '外国血统中国籍人士')
  assert.equal(zEthnicity.safeParse('1').success, false) // codes are 2-digit
  assert.equal(zEthnicity.safeParse('57').success, false)
  const han: Ethnicity = '01'
  assert.equal(han, ethnicities[0].code)
})

test('学历: GB/T 4658-2006 codes, flat, categories first in their group', () => {
  assert.equal(labelOf(educations, '10'), '研究生教育')
  assert.equal(labelOf(educations, '11'), '博士研究生毕业')
  assert.equal(labelOf(educations, '14'), '硕士研究生毕业')
  assert.equal(labelOf(educations, '21'), '大学本科毕业')
  assert.equal(labelOf(educations, '28'), '大学普通班毕业')
  assert.equal(labelOf(educations, '31'), '大学专科毕业')
  assert.equal(labelOf(educations, '47'), '技工学校毕业')
  assert.equal(labelOf(educations, '61'), '普通高中毕业')
  assert.equal(labelOf(educations, '71'), '初中毕业')
  assert.equal(labelOf(educations, '81'), '小学毕业')
  assert.equal(labelOf(educations, '90'), '其他')
  // No 72 / 82 (初中 / 小学 结业) in the standard.
  assert.equal(zEducation.safeParse('72').success, false)
  assert.equal(zEducation.safeParse('82').success, false)
  // Codes ascend, so a flat Select lists them in the standard's order.
  const codes = educations.map((r) => r.code)
  assert.deepEqual([...codes].sort(), codes)
  assert.deepEqual(
    educationCategories.map((r) => r.code),
    ['10', '20', '30', '40', '60', '70', '80', '90'],
  )
  for (const row of educations) assert.equal(row.category, row.code.endsWith('0'), row.code)
  assert.equal(optionsOf(educations).length, educations.length)
})

test('educationCategoryOf', () => {
  assert.equal(educationCategoryOf('11'), '10')
  assert.equal(educationCategoryOf('21'), '20')
  assert.equal(educationCategoryOf('28'), '20')
  assert.equal(educationCategoryOf('33'), '30')
  assert.equal(educationCategoryOf('47'), '40')
  assert.equal(educationCategoryOf('20'), '20')
  assert.equal(educationCategoryOf('90'), '90')
  assert.equal(educationCategoryOf('99'), undefined)
  assert.equal(educationCategoryOf('5'), undefined)
  assert.equal(educationCategoryOf(null), undefined)
  const e: Education = '21'
  assert.equal(educationCategoryOf(e), '20')
})

test('政治面貌: GB/T 4762 codes 01–13 with short and full names', () => {
  assert.deepEqual(
    politicalStatuses.map((r) => r.code),
    ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13'],
  )
  assert.equal(labelOf(politicalStatuses, '01'), '中共党员')
  assert.equal(labelOf(politicalStatuses, '03'), '共青团员')
  assert.equal(labelOf(politicalStatuses, '10'), '九三学社社员')
  assert.equal(labelOf(politicalStatuses, '13'), '群众')
  assert.equal(politicalStatuses[0].fullName, '中国共产党党员')
  assert.equal(politicalStatuses[10].fullName, '台湾民主自治同盟盟员')
})

test('技术等级, 户籍类型', () => {
  assert.deepEqual(
    skillLevels.map((r) => r.code),
    ['1', '2', '3', '4', '5', '0'],
  )
  assert.equal(labelOf(skillLevels, '1'), '职业资格一级(高级技师)')
  assert.equal(labelOf(skillLevels, '5'), '职业资格五级(初级工)')
  assert.equal(labelOf(skillLevels, '0'), '无')
  assert.deepEqual(
    householdTypes.map((r) => `${r.code} ${r.label}`),
    ['1 农业户口', '2 非农业户口', '3 居民户口', '9 其他'],
  )
})

test('workflow tables', () => {
  assert.deepEqual(
    memberStatuses.map((r) => r.code),
    ['active', 'retained', 'reserve', 'left'],
  )
  assert.equal(labelOf(memberStatuses, 'retained'), '保留会籍')
  assert.deepEqual(
    memberQuality.map((r) => r.code),
    ['ok', 'invalid_document', 'duplicate', 'missing_fields'],
  )
  for (const row of memberQuality) assert.ok(row.description.length > 0)
  assert.equal(labelOf(applicationStatuses, 'need_info'), '待补充材料')
  assert.equal(labelOf(applicationRoutes, 'town_pool'), '属地工会预备会员库')
  assert.equal(labelOf(applicationRoutes, 'flexible_joint'), '镇街新就业形态联合工会')
  assert.equal(labelOf(transferStatuses, 'rejected'), '已退回')
  assert.equal(labelOf(transferRequesters, 'member'), '会员本人')
})
