import type { FormInfo, FormTable } from '../../../../common/forms.js'
import type { Ctx } from '../../http/context.js'
import { fieldError } from '../../http/errors.js'
import type { FormOrg } from './forms.repository.js'

export type FormGenerator = (ctx: Ctx, org: FormOrg, asOf: string) => Promise<FormTable>
export interface FormDef {
  code: string
  /** how the form is named in lists and messages: '附件1 已建联合工会基本情况登记表' */
  label: string
  /** true: a round may change the cells (figures entered by the town); false: it confirms the generated ones */
  editable: boolean
  generate: FormGenerator
}

/**
 * Every form the API and the command line know, by code. Built where the app (app.ts) and the
 * command line (cli.ts) are put together, from the forms each module offers (forms.service
 * `jointForms`: 附件1/2; plans.forms `planForms`: 附件3, monitoring), and passed to the forms
 * routes and service; another module's forms are one more list there.
 */
export class FormRegistry {
  private readonly defs = new Map<string, FormDef>()

  constructor(defs: FormDef[] = []) {
    for (const d of defs) this.add(d)
  }

  add(def: FormDef) {
    this.defs.set(def.code, def)
    return this
  }

  remove(code: string) {
    this.defs.delete(code)
  }

  find(code: string): FormDef | undefined {
    return this.defs.get(code)
  }

  /** The form with this code, or a refusal naming the forms there are. */
  get(code: string): FormDef {
    const f = this.defs.get(code)
    if (!f) throw fieldError('form', `没有代码为“${code}”的报表，可选：${this.describe()}`)
    return f
  }

  all(): FormDef[] {
    return [...this.defs.values()]
  }

  list(): FormInfo[] {
    return this.all().map((f) => ({ code: f.code, label: f.label, editable: f.editable }))
  }

  /** form1（附件1 …）、form2（附件2 …）… */
  describe(): string {
    return this.all()
      .map((x) => `${x.code}（${x.label}）`)
      .join('、')
  }
}
