import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as codes from './codes'
import {
  adminRoles,
  businessRoles,
  codesOf,
  documentTypes,
  economicTypes,
  employmentStatuses,
  genders,
  industries,
  isAdminRole,
  isBusinessRole,
  isCode,
  jointCategories,
  labelOf,
  membershipEventTypes,
  membershipReasons,
  optionsOf,
  orgForms,
  orgTypes,
  roles,
  rowOf,
  sizeBandOf,
  sizeBands,
  zJointCategory,
  zOrgType,
  type CodeRow,
  type JointCategory,
  type OrgType,
} from './codes'

/** Every code table with the zod enum that must accept exactly its codes. */
const tables: [string, readonly CodeRow[], string][] = [
  ['orgTypes', codes.orgTypes, 'zOrgType'],
  ['orgForms', codes.orgForms, 'zOrgForm'],
  ['orgStatuses', codes.orgStatuses, 'zOrgStatus'],
  ['foundingMethods', codes.foundingMethods, 'zFoundingMethod'],
  ['jointScopes', codes.jointScopes, 'zJointScope'],
  ['jointCategories', codes.jointCategories, 'zJointCategory'],
  ['unitNatures', codes.unitNatures, 'zUnitNature'],
  ['coverages', codes.coverages, 'zCoverage'],
  ['sizeBands', codes.sizeBands, 'zSizeBand'],
  ['industries', codes.industries, 'zIndustry'],
  ['economicTypes', codes.economicTypes, 'zEconomicType'],
  ['genders', codes.genders, 'zGender'],
  ['documentTypes', codes.documentTypes, 'zDocumentType'],
  ['employmentStatuses', codes.employmentStatuses, 'zEmploymentStatus'],
  ['membershipEventTypes', codes.membershipEventTypes, 'zMembershipEventType'],
  ['membershipReasons', codes.membershipReasons, 'zMembershipReason'],
  ['newEmploymentOccupations', codes.newEmploymentOccupations, 'zNewEmploymentOccupation'],
  ['roles', codes.roles, 'zRole'],
]

test('every table has unique, non-empty codes and labels, and a matching zod enum', () => {
  // A table added to codes.ts but not to the list above fails here.
  const exportedTables = Object.entries(codes).filter(([, v]) => Array.isArray(v) && typeof (v as unknown[])[0] === 'object')
  assert.deepEqual(exportedTables.map(([name]) => name).sort(), tables.map(([name]) => name).sort())

  for (const [name, table, schemaName] of tables) {
    const codeList = table.map((r) => r.code)
    assert.equal(new Set(codeList).size, codeList.length, `${name}: duplicate code`)
    for (const row of table) {
      assert.ok(row.code.length > 0 && row.label.length > 0, `${name}: empty code or label`)
    }
    const schema = (codes as Record<string, unknown>)[schemaName] as
      { options: readonly string[]; safeParse(v: unknown): { success: boolean } } | undefined
    assert.ok(schema, `${name}: missing ${schemaName}`)
    assert.deepEqual(schema.options, codeList, `${schemaName} accepts exactly the codes of ${name}`)
    assert.equal(schema.safeParse('no-such-code').success, false)
  }
})

test('labels are as in PRODUCT.md', () => {
  assert.deepEqual(
    orgTypes.map((r) => `${r.code} ${r.label}`),
    ['1 独立基层工会', '2 联合基层工会', '3 街道', '4 园区', '5 行业', '6 集团', '7 系统', '8 分会/小组', '9 地方工会'],
  )
  assert.deepEqual(
    orgForms.map((r) => r.label),
    ['总工会', '工会工作委员会', '工会委员会', '联合工会委员会', '工会联合会', '分会', '工会小组'],
  )
  assert.deepEqual(
    employmentStatuses.map((r) => r.label),
    ['在岗', '待(下)岗', '失业', '退休', '离休', '退职', '退养(内退)', '病休', '其他'],
  )
  assert.deepEqual(
    membershipEventTypes.map((r) => r.label),
    ['入会', '转入', '保留', '转出', '除名', '退会'],
  )
  assert.equal(labelOf(membershipReasons, '6'), '因犯罪被开除会籍')
  assert.deepEqual(codesOf(genders), ['0', '1', '2', '9'])
  assert.equal(documentTypes.length, 6)
  assert.equal(economicTypes.length, 11)
})

test('joint-union categories print the row captions of 附件1 and 附件2', () => {
  assert.deepEqual(
    jointCategories.map((r) => r.form1Label),
    [
      '工业园区类',
      '村（社区）类',
      '楼宇商圈类',
      '创意产业园类',
      '专业市场类',
      '物流行业类',
      '建筑行业类',
      '合作经济类',
      '特色小镇类',
      '其他类型',
    ],
  )
  assert.deepEqual(
    jointCategories.filter((r) => r.form1Label !== r.form2Label).map((r) => [r.code, r.form2Label]),
    [['logistics', '货运快递类']],
  )
  const parsed: JointCategory = zJointCategory.parse('logistics')
  assert.equal(parsed, 'logistics')
})

test('industries are the 20 sections A–T of GB/T 4754-2017', () => {
  assert.deepEqual(codesOf(industries).join(''), 'ABCDEFGHIJKLMNOPQRST')
  assert.equal(labelOf(industries, 'A'), '农、林、牧、渔业')
  assert.equal(labelOf(industries, 'T'), '国际组织')
})

test('size bands cover every head count without gaps or overlaps', () => {
  for (let i = 1; i < sizeBands.length; i++) {
    assert.equal(sizeBands[i]!.min, sizeBands[i - 1]!.max! + 1)
  }
  assert.equal(sizeBands[0].min, 0)
  assert.equal(sizeBands[sizeBands.length - 1]!.max, null)
  assert.equal(sizeBandOf(0), 'lt25')
  assert.equal(sizeBandOf(24), 'lt25')
  assert.equal(sizeBandOf(25), '25to49')
  assert.equal(sizeBandOf(99), '50to99')
  assert.equal(sizeBandOf(100), '100to299')
  assert.equal(sizeBandOf(300), '300plus')
  assert.equal(sizeBandOf(1_000_000), '300plus')
  assert.throws(() => sizeBandOf(-1), RangeError)
  assert.throws(() => sizeBandOf(2.5), RangeError)
})

test('helpers: labelOf, rowOf, isCode, optionsOf', () => {
  assert.equal(labelOf(orgTypes, '2'), '联合基层工会')
  assert.equal(labelOf(orgTypes, 'x'), 'x', 'an unknown code stays visible')
  assert.equal(labelOf(orgTypes, null), '')
  assert.equal(labelOf(orgTypes, undefined), '')
  assert.equal(rowOf(sizeBands, '25to49')?.max, 49)
  assert.equal(rowOf(sizeBands, null), undefined)
  assert.equal(isCode(orgTypes, '8'), true)
  assert.equal(isCode(orgTypes, '0'), false)
  assert.equal(isCode(orgTypes, 8), false)
  assert.deepEqual(optionsOf(orgStatusesForTest())[0], { value: 'preparing', label: '筹备' })
  const t: OrgType = zOrgType.parse('3')
  assert.equal(t, '3')
  assert.equal(zOrgType.safeParse('0').error?.issues[0]?.message, '组织类型无效')
})

function orgStatusesForTest() {
  return codes.orgStatuses
}

test('roles split into the three system roles and the business roles', () => {
  assert.deepEqual(
    [...adminRoles],
    roles.filter((r) => r.kind === 'system').map((r) => r.code),
  )
  assert.deepEqual(
    [...businessRoles],
    roles.filter((r) => r.kind === 'business').map((r) => r.code),
  )
  assert.deepEqual(
    roles.map((r) => r.label),
    ['系统管理员', '安全管理员', '审计管理员', '工会管理员', '工会查看员'],
  )
  assert.equal(isAdminRole('auditadmin'), true)
  assert.equal(isAdminRole('org_admin'), false)
  assert.equal(isBusinessRole('org_viewer'), true)
  const viewer = rowOf(roles, 'org_viewer')
  assert.equal(viewer?.canWrite, false)
  assert.equal(rowOf(roles, 'org_admin')?.canRevealPersonalData, true)
  // System roles see no business data.
  assert.ok(roles.filter((r) => r.kind === 'system').every((r) => !r.canWrite && !r.canRevealPersonalData))
})
