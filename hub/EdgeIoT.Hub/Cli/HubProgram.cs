using System.CommandLine;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Hosting;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Cli;

/// <summary>
/// Runs the hub's command line. A usage error, an invalid hub setting, a data directory this user
/// may not use and a damaged hub.db print one line on stderr and return exit code 2, with no help
/// text or stack trace. Other exceptions are bugs and keep their stack trace.
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
                // System.CommandLine lists allowed values on indented lines, which are joined into the one error line.
                await Console.Error.WriteLineAsync($"error: {error.Message.ReplaceLineEndings(" ").Replace("\t", string.Empty, StringComparison.Ordinal)}");
            }

            return CliException.UsageError;
        }

        if (SettingArguments.FindUnknown(parseResult.UnmatchedTokens) is string unknown)
        {
            await Console.Error.WriteLineAsync(
                $"error: Unrecognized option or argument '{unknown}'. Give settings as --Hub:Key=value; --help lists the options.");
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
        catch (UnauthorizedAccessException exception)
        {
            await Console.Error.WriteLineAsync(
                $"error: {exception.Message} Run the command as the user that runs the hub, or give user '{Environment.UserName}' access.");
            return CliException.UsageError;
        }
        catch (SqliteException exception) when (HubDatabase.IsDamaged(exception))
        {
            await Console.Error.WriteLineAsync(
                $"error: hub.db is not a hub database or is damaged ({exception.Message}). Restore it from a backup.");
            return CliException.UsageError;
        }
    }
}
