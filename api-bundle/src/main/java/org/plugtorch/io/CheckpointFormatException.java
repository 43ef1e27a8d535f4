package org.plugtorch.io;

import java.io.IOException;

/**
 * A checkpoint file that is malformed, hostile, or uses something Plugtorch cannot represent. The message names the
 * file, the place in it (a tensor, a header byte, a zip record, a pickle byte) and what is wrong there.
 */
public class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
