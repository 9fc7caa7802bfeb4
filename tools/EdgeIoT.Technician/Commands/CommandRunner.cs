namespace EdgeIoT.Technician.Commands;

/// <summary>Exit codes and the error handling every command shares.</summary>
public static class CommandRunner
{
    public const int Success = 0;

    /// <summary>The step failed: hub unreachable, nanoff failed, device not online in time.</summary>
    public const int Failed = 1;

    /// <summary>An option value is missing or invalid.</summary>
    public const int InvalidInput = 2;

    /// <summary>Runs a command body and turns a <see cref="TechnicianException"/> into its message and exit code.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(body);

        try
        {
            return await body();
        }
        catch (TechnicianException exception)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return exception.ExitCode;
        }
    }

    /// <summary>Prints why an option value is invalid and returns exit code 2.</summary>
    public static async Task<int> InvalidAsync(string message)
    {
        await Console.Error.WriteLineAsync($"error: {message}");
        return InvalidInput;
    }

    /// <summary>
    /// Parses a hub base URL. System.CommandLine 2.0 has no Uri parser, so the value is checked
    /// here; returns null when it is not an absolute http or https URL.
    /// </summary>
    public static Uri? ParseHubUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : null;
}
