module.exports = { ...require('../jest.preset.js'), displayName: 'devices-sim' };
