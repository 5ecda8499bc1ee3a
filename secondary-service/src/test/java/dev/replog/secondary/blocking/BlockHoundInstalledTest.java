package dev.replog.secondary.blocking;

import dev.replog.common.blocking.BlockHoundInstalledContract;

/** BlockHound runs in every test JVM of this module, with the shared rules. */
class BlockHoundInstalledTest extends BlockHoundInstalledContract {
}
