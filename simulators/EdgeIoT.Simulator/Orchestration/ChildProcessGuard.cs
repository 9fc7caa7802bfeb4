using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Kills every device process the simulator started when the simulator exits, including
/// after an unhandled exception or a Ctrl-C that outlasts the clean stop. A simulator that
/// is itself killed cannot run this, so its devices stop on their own: they run
/// with <c>--supervised</c> and see their standard input close.
/// </summary>
public static class ChildProcessGuard
{
    private static readonly ConcurrentDictionary<int, Process> Children = new();
    private static int _hooked;

    /// <summary>Registers a started child until <see cref="Forget"/> removes it.</summary>
    public static void Track(Process child)
    {
        ArgumentNullException.ThrowIfNull(child);

        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
            AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
        }

        Children[child.Id] = child;
    }

    public static void Forget(Process child)
    {
        ArgumentNullException.ThrowIfNull(child);

        Children.TryRemove(child.Id, out _);
    }

    /// <summary>Kills every registered child that is still running.</summary>
    public static void KillAll()
    {
        foreach (Process child in Children.Values)
        {
            try
            {
                child.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It has already exited.
            }
        }
    }
}
