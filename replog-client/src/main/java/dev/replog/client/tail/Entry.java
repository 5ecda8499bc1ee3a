package dev.replog.client.tail;

/**
 * One entry of the log.
 *
 * @param seq     its place in the total order, from 1 without gaps
 * @param id      its permanent id (unique forever, increasing with {@code seq})
 * @param message the message
 */
public record Entry(long seq, long id, String message) {
}
