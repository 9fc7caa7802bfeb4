using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Kills the child processes still running when the simulator exits, so no hub or device
/// outlives its run: after Ctrl-C outlasts its grace period, on SIGTERM, and on an unhandled
/// exception. Normal ends and failures dispose the <see cref="HubProcess"/> and the
/// <see cref="DeviceProcess"/> lanes, which stop their children first.
/// </summary>
/// <remarks>
/// Nothing here runs when the simulator itself is SIGKILLed: <see cref="OrphanWatchdog"/>
/// kills the hub and edge agent processes then, and ESP32 processes run with
/// <c>--supervised</c> and stop when their standard input closes. Linux's parent-death signal is no option: it would have to be set in the
/// child between fork and exec, which Process.Start does not offer.
/// </remarks>
public static class ChildProcessGuard
{
    private static readonly ConcurrentDictionary<int, Process> Children = new();

    static ChildProcessGuard()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
    }

    public static void Track(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);

        Children[process.Id] = process;
    }

    public static void Forget(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);

        Children.TryRemove(process.Id, out _);
    }

    private static void KillAll()
    {
        foreach (Process process in Children.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
            {
                // The process has exited or was never started; there is nothing left to kill.
            }
        }
    }
}
