using System.CommandLine;
using EdgeIoT.Hub.Options;

namespace EdgeIoT.Hub.Cli;

/// <summary>
/// Runs the hub's command line. A usage error or an invalid hub setting prints one line on stderr
/// and returns exit code 2, with no help text or stack trace.
/// </summary>
public static class HubProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);

        ParseResult parseResult = HubCommandLine.Build().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }

            return CliException.UsageError;
        }

        try
        {
            return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (HubSettingsException exception)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}");
            return CliException.UsageError;
        }
    }
}
