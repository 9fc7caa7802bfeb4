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

        RootCommand root = HubCommandLine.Build();
        ParseResult parseResult = root.Parse(args);
        if (args is [var first, ..] && !first.StartsWith('-') && root.Subcommands.All(command => command.Name != first))
        {
            // The parser would report the command as missing and every later token as unrecognized.
            await Console.Error.WriteLineAsync($"error: '{first}' is not a hub command.{Suggest(first, root)}");
            return CliException.UsageError;
        }

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

    /// <summary>Returns " Did you mean 'x'?" for a command at most two edits away, then the list of commands.</summary>
    private static string Suggest(string typed, RootCommand root)
    {
        string[] names = [.. root.Subcommands.Select(command => command.Name)];
        string? closest = names
            .Select(name => (Name: name, Distance: EditDistance(typed, name)))
            .Where(candidate => candidate.Distance <= 2)
            .OrderBy(candidate => candidate.Distance)
            .Select(candidate => candidate.Name)
            .FirstOrDefault();
        string hint = closest is null ? string.Empty : $" Did you mean '{closest}'?";
        return $"{hint} Commands: {string.Join(", ", names)}.";
    }

    // Levenshtein distance, small enough for command names.
    private static int EditDistance(string a, string b)
    {
        int[] previous = [.. Enumerable.Range(0, b.Length + 1)];
        for (int i = 1; i <= a.Length; i++)
        {
            int[] current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (char.ToLowerInvariant(a[i - 1]) == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
