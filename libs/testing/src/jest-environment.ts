import { TestEnvironment } from 'jest-environment-node';
import { removeTempDirs, TEMP_DIRS_GLOBAL } from './temp-dir';

/**
 * Jest's node environment, which also removes the directories `tempDir` made for the test file once
 * the file is done: after its afterAll hooks (which stop the engines, brokers and processes using
 * them), whether its tests passed or not. Every project uses it (jest.preset.js).
 */
export default class HearthbeatTestEnvironment extends TestEnvironment {
  private readonly tempDirs: string[] = [];

  override async setup(): Promise<void> {
    await super.setup();
    Reflect.set(this.global, TEMP_DIRS_GLOBAL, this.tempDirs);
  }

  override async teardown(): Promise<void> {
    removeTempDirs(this.tempDirs.splice(0));
    await super.teardown();
  }
}
