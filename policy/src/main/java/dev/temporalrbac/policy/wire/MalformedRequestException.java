package dev.temporalrbac.policy.wire;

/** The request bytes are not a valid protobuf encoding of the method's request type. */
public final class MalformedRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  public MalformedRequestException(String message) {
    super(message, null, false, false);
  }
}
