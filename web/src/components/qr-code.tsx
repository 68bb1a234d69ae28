import { useEffect, useState } from 'react'

/** A QR code drawn in the browser (as a data URL image), so the token never leaves the page. */
export function QrCode({ text, size = 200, testid }: { text: string; size?: number; testid?: string }) {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    let alive = true
    // the encoder loads with the first code shown (the card), not with the page
    import('qrcode')
      .then(({ default: QRCode }) =>
        QRCode.toDataURL(text, { width: size * 2, margin: 1, errorCorrectionLevel: 'M', color: { dark: '#1f1f1f', light: '#ffffff' } }),
      )
      .then((u) => alive && setUrl(u))
      .catch(() => alive && setUrl(null))
    return () => {
      alive = false
    }
  }, [text, size])
  return (
    <div className="qr-code" style={{ width: size, height: size }} data-testid={testid} data-qr-text={text}>
      {url && <img src={url} width={size} height={size} alt="会员证二维码" />}
    </div>
  )
}

/** The address a scanner opens to verify a membership card. */
export const cardVerifyUrl = (token: string) => `${window.location.origin}/card/verify?token=${encodeURIComponent(token)}`
