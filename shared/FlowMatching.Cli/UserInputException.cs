namespace FlowMatching;

/// <summary>A problem with what the user gave (a file, a flag, a value): its message is shown as one line, without a stack trace.</summary>
public sealed class UserInputException(string message, Exception? inner = null) : Exception(message, inner);
