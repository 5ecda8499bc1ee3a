package dev.replog.master.replication;

/** A request to a secondary failed without an answer we can use (an error status, I/O, timeout). */
final class DeliveryException extends RuntimeException {

    DeliveryException(String message) {
        super(message, null, false, false);
    }
}
