import type { ThemeConfig } from 'antd';

/** A calm navy frame, so that the red of a critical alert is the loudest thing on the screen. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1d5fa8',
    borderRadius: 8,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  },
  components: {
    Layout: { headerBg: '#10375c', headerPadding: '0 16px', headerHeight: 56 },
    Menu: { darkItemBg: '#10375c', darkItemSelectedBg: '#1d5fa8' },
  },
};
