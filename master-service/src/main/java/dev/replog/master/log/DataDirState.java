package dev.replog.master.log;

/**
 * What the master found in its data dir at start.
 *
 * @param hadState false when the directory held no log and no epoch: a new master, or one whose
 *                 disk was lost, which must not trust its own empty log
 */
public record DataDirState(boolean hadState) {
}
