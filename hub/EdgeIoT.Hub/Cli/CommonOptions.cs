using System.CommandLine;

namespace EdgeIoT.Hub.Cli;

/// <summary>Options every runbook command takes: where the hub is, and whether to print JSON.</summary>
public sealed class CommonOptions
{
    public Option<DirectoryInfo?> Data { get; } = new("--data")
    {
        Description = "Hub data directory (hub.db, hub.endpoints.json); default event-data/hub. "
            + "When the hub running on it answers, commands use its HTTP API, otherwise the files.",
    };

    public Option<string?> Hub { get; } = new("--hub")
    {
        Description = "HTTP URL of a running hub, such as http://127.0.0.1:5080; overrides --data.",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the result as JSON instead of text.",
    };

    /// <summary>Adds the options to <paramref name="command"/> and returns it.</summary>
    public T AddTo<T>(T command)
        where T : Command
    {
        ArgumentNullException.ThrowIfNull(command);

        command.Options.Add(Data);
        command.Options.Add(Hub);
        command.Options.Add(Json);
        return command;
    }
}
