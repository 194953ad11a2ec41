module.exports = { ...require('../../jest.preset.js'), displayName: 'backtest' };
