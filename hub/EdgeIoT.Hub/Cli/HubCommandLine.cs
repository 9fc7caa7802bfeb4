using System.CommandLine;
using EdgeIoT.Hub.Cli.Commands;
using EdgeIoT.Hub.Mqtt;
using EdgeIoT.Hub.Reporting;
using EdgeIoT.Protocol.Hosting;

namespace EdgeIoT.Hub.Cli;

/// <summary>
/// The hub's command line: 'run' for the hub itself, 'mosquitto-auth' for an external broker's
/// password and ACL files, and the runbook commands of an operator's day, before (init, keys,
/// import, snapshot, devices), during (status) and after the event (push, disputes, audit, report).
/// </summary>
public static class HubCommandLine
{
    public static RootCommand Build()
    {
        var common = new CommonOptions();
        var root = new RootCommand("EdgeIoT venue hub and its runbook commands.")
        {
            RunCommand.Create(common.Data),
            InitCommand.Create(common),
            KeysCommand.Create(common),
            ImportCommand.Create(common),
            SnapshotCommand.Create(common),
            DevicesCommand.Create(common),
            StatusCommand.Create(common),
            PushCommand.Create(common),
            DisputesCommand.Create(common),
            WristbandsCommand.Create(common),
            AuditCommand.Create(common),
            MosquittoAuthCommand.Create(common.Data),
            ReportCommand.Create(common.Data),
        };
        SettingsHelp.Use(root, "--Hub:Mqtt:Port=1884", "docs/hub.md (Configuration)");
        return root;
    }
}
