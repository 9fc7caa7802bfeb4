using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// A small shell process that kills a child process (the hub, or an edge agent lane) when the
/// simulator dies without cleaning up, as after a SIGKILL. The shell blocks reading a pipe whose
/// only writer is the simulator. The operating system closes that end when the simulator's process ends, however
/// it ends, so the shell's read returns at end of file. Disposing the watchdog ends the shell
/// first, so a normal stop of the child never reaches it.
/// </summary>
/// <remarks>
/// NOTE: Windows has no /bin/sh, so there a child process outlives a killed simulator. A job
/// object would be the way to tie the two together.
/// </remarks>
public sealed class OrphanWatchdog : IDisposable
{
    private const string Shell = "/bin/sh";

    // $1 is the child's process id. `read` returns when the simulator's end of the pipe closes.
    private const string Script = "read -r _; kill -KILL \"$1\" 2>/dev/null";

    private readonly Process _shell;

    private OrphanWatchdog(Process shell)
    {
        _shell = shell;
    }

    /// <summary>Starts a watchdog for <paramref name="processId"/>; returns null where no POSIX shell exists.</summary>
    public static OrphanWatchdog? Start(int processId)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(Shell))
        {
            return null;
        }

        var info = new ProcessStartInfo(Shell)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add("edgeiot-watchdog");
        info.ArgumentList.Add(processId.ToString(CultureInfo.InvariantCulture));
        return new OrphanWatchdog(Process.Start(info)!);
    }

    public void Dispose()
    {
        try
        {
            _shell.Kill();
            _shell.WaitForExit();
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // The shell has already exited, for example after Ctrl-C reached the whole process group.
        }

        _shell.Dispose();
    }
}
