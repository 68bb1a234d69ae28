export * from './components'
export { toast, confirm } from './feedback'
export { useForm, required, pattern, maxLength, mobile, type Rule, type Form } from './form'
