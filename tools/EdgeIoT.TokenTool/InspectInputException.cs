namespace EdgeIoT.TokenTool;

/// <summary>An inspect option has an invalid value; the message names the option, the value and the fix.</summary>
internal sealed class InspectInputException(string message) : Exception(message);
