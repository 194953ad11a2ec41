// The e2e specs drive real Chromium against the platform started in-process: allow them time.
module.exports = { ...require('../../jest.preset.js'), displayName: 'dashboard', testTimeout: 120000 };
