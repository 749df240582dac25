namespace FlowMatching.Errors;

/// <summary>
/// The base of every error the library reports about its inputs (model files, data, options) or its run
/// (non-finite values, step caps, I/O). Messages name the file, line or key at fault and never a
/// command-line flag: programs show them as they are, the CLIs add their own wording.
/// </summary>
public abstract class FlowMatchingException(string message, Exception? inner = null) : Exception(message, inner);
