/**
 * Zod speaks Chinese: the zh-CN locale, with the messages users meet most often (a missing field,
 * a wrong type, too long, too large, not one of the choices) in plain words rather than type names.
 * Every shared schema module imports this, so the server's validation and the web's forms answer
 * alike. The field's name is put in front by whoever shows the message (errors.ts on the server,
 * the form item in the web app).
 */
import { z } from 'zod'

const typeNames: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  bigint: '整数',
  boolean: '是或否',
  array: '列表',
  object: '对象',
  date: '日期',
  null: '空值',
  undefined: '空',
  nan: '数字',
}

type Issue = z.core.$ZodRawIssue

/** the Chinese message for a raw issue, or undefined to let the zh-CN locale answer */
export function chineseMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return '不能为空'
      return `应为${typeNames[issue.expected] ?? '正确的格式'}`
    }
    case 'too_big': {
      const max = issue.maximum.toString()
      if (issue.origin === 'string') return `不能超过${max}个字`
      if (issue.origin === 'array' || issue.origin === 'set') return `不能超过${max}项`
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive ? `不能大于${max}` : `应小于${max}`
      return '过大'
    }
    case 'too_small': {
      const min = issue.minimum.toString()
      if (issue.origin === 'string') return Number(min) <= 1 ? '不能为空' : `至少${min}个字`
      if (issue.origin === 'array' || issue.origin === 'set') return `至少选择${min}项`
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return issue.inclusive ? `不能小于${min}` : `应大于${min}`
      return '过小'
    }
    case 'invalid_value':
      return '不是可选的值'
    case 'invalid_format':
      return '格式不正确'
    case 'not_multiple_of':
      return `应为${String(issue.divisor)}的倍数`
    case 'unrecognized_keys':
      return '含有未知的字段'
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return '格式不正确'
    default:
      return '格式不正确'
  }
}

z.config(z.locales.zhCN())
z.config({ customError: chineseMessage })
