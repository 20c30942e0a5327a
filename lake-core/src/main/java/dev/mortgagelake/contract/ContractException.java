package dev.mortgagelake.contract;

/** A contract file, the contract index or the release lock is unusable: the message says which file and why. */
public final class ContractException extends RuntimeException {

    public ContractException(String message) {
        super(message);
    }

    public ContractException(String message, Throwable cause) {
        super(message, cause);
    }
}
