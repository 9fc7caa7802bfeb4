using System.CommandLine;

namespace EdgeIoT.Hub.Cli;

/// <summary>Runs a command's action and turns a <see cref="CliException"/> into its message on stderr and exit code.</summary>
public static class CliRunner
{
    public static void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(action);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await action(parseResult, cancellationToken);
            }
            catch (CliException exception)
            {
                await Console.Error.WriteLineAsync($"error: {exception.Message}");
                return exception.ExitCode;
            }
        });
    }
}
