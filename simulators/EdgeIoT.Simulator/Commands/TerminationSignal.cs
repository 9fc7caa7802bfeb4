using System.Runtime.InteropServices;

namespace EdgeIoT.Simulator.Commands;

/// <summary>
/// Turns SIGINT (Ctrl-C) and SIGTERM into a cancelled run and the exit code shells report for
/// a process ended by signal N, 128 + N: 130 after SIGINT and 143 after SIGTERM.
/// System.CommandLine cancels the same token for both signals, so the command could not tell
/// them apart. The simulator registers its own handlers instead.
/// </summary>
public static class TerminationSignal
{
    /// <summary>Exit code after Ctrl-C (SIGINT, signal 2).</summary>
    public const int InterruptedExitCode = 130;

    /// <summary>Exit code after SIGTERM (signal 15), as a service manager or CI job sends it.</summary>
    public const int TerminatedExitCode = 143;

    private static readonly CancellationTokenSource Stop = new();

    private static int _exitCode = InterruptedExitCode;

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public static CancellationToken Token => Stop.Token;

    /// <summary>Exit code for a run stopped by a signal: 143 after SIGTERM, else 130.</summary>
    public static int ExitCode => Volatile.Read(ref _exitCode);

    /// <summary>
    /// Handles SIGINT and SIGTERM until disposed: the first one cancels <see cref="Token"/>,
    /// and the process ends with its exit code once <paramref name="gracePeriod"/> has passed,
    /// even if the run is still stopping. A signal set to ignored when the process started,
    /// as a non-interactive shell does with SIGINT for background jobs, stays ignored.
    /// </summary>
    public static IDisposable Handle(TimeSpan gracePeriod)
    {
        PosixSignalRegistration interrupt = PosixSignalRegistration.Create(
            PosixSignal.SIGINT, context => OnSignal(context, InterruptedExitCode, gracePeriod));
        PosixSignalRegistration terminate = PosixSignalRegistration.Create(
            PosixSignal.SIGTERM, context => OnSignal(context, TerminatedExitCode, gracePeriod));
        return new Registrations(interrupt, terminate);
    }

    private static void OnSignal(PosixSignalContext context, int exitCode, TimeSpan gracePeriod)
    {
        // The run stops itself; the operating system's default action would end it at once.
        context.Cancel = true;
        if (Stop.IsCancellationRequested)
        {
            return;
        }

        Volatile.Write(ref _exitCode, exitCode);
        Stop.Cancel();
        _ = Task.Delay(gracePeriod).ContinueWith(_ => Environment.Exit(exitCode), TaskScheduler.Default);
    }

    private sealed class Registrations(PosixSignalRegistration interrupt, PosixSignalRegistration terminate) : IDisposable
    {
        public void Dispose()
        {
            interrupt.Dispose();
            terminate.Dispose();
        }
    }
}
