import type { ThemeConfig } from 'antd'

/** A restrained union red on neutral greys. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#c8102e',
    colorLink: '#b01028',
    colorInfo: '#1f6fb2',
    borderRadius: 6,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Helvetica Neue", Arial, sans-serif',
    colorBgLayout: '#f4f5f7',
  },
  components: {
    Layout: { headerBg: '#9e0c24', headerHeight: 56, headerPadding: '0 20px', siderBg: '#ffffff' },
    Menu: {
      darkItemBg: 'transparent',
      darkItemSelectedBg: 'rgba(255,255,255,0.18)',
      darkItemColor: 'rgba(255,255,255,0.85)',
      darkItemHoverBg: 'rgba(255,255,255,0.10)',
      itemPaddingInline: 14,
      itemHeight: 36,
      itemMarginBlock: 2,
      iconMarginInlineEnd: 6,
    },
  },
}
