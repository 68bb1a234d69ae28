import { QrCode, cardVerifyUrl } from '../../components/qr-code'
import { MemberStatusTag } from '../../phone/ui/status-tags'

/** The electronic membership card: union, name, member number, QR code of the verification link (no Ant Design: the phone pages show it). */
export function MemberCard({
  card,
}: {
  card: { memberNo: string; name: string; unionName: string; joinedOn: string; status: string; token: string }
}) {
  return (
    <div className="member-card" data-testid="member-card">
      <div className="member-card-head">
        <span className="member-card-logo">工</span>
        <div>
          <div className="member-card-title">中华全国总工会会员证</div>
          <div className="member-card-union" data-testid="member-card-union">
            {card.unionName}
          </div>
        </div>
      </div>
      <div className="member-card-body">
        <div className="member-card-info">
          <div className="member-card-name" data-testid="member-card-name">
            {card.name}
          </div>
          <div>
            会员号　<b data-testid="member-card-no">{card.memberNo}</b>
          </div>
          <div>入会日期　{card.joinedOn}</div>
          <div style={{ marginTop: 6 }}>
            <MemberStatusTag status={card.status} />
          </div>
        </div>
        <div className="member-card-qr">
          <QrCode text={cardVerifyUrl(card.token)} size={120} testid="member-card-qr" />
          <div className="member-card-qr-hint">扫码验证</div>
        </div>
      </div>
    </div>
  )
}
