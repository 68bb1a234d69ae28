import { statusTags } from '../../components/status-tags'
import { Tag } from './components'

/** The register's status tags (components/status-tags.tsx) in the phone's light Tag, for the phone pages and the e-card (which the cadre pages show too). */
export const { MemberStatusTag, TransferStatusTag, ApplicationStatusTag } = statusTags(Tag)
