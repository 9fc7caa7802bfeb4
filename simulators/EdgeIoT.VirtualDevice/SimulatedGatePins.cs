using EdgeIoT.Firmware.Gate;

namespace EdgeIoT.VirtualDevice;

/// <summary>
/// The turnstile's relay and passage sensor. With <see cref="AutoPassage"/> on, a guest
/// walks through on every release of the relay, as most admitted guests do.
/// </summary>
public sealed class SimulatedGatePins : IGatePins
{
    private int _pulses;

    public event PassageHandler? Passage;

    public bool RelayEnergized { get; private set; }

    /// <summary>Relay pulses since start, one per admitted guest.</summary>
    public int Pulses => Volatile.Read(ref _pulses);

    public bool AutoPassage { get; set; } = true;

    public void SetRelay(bool energized)
    {
        bool released = RelayEnergized && !energized;
        RelayEnergized = energized;
        if (energized)
        {
            Interlocked.Increment(ref _pulses);
        }

        if (released && AutoPassage)
        {
            ThreadPool.QueueUserWorkItem(_ => SimulatePassage());
        }
    }

    /// <summary>Fires the passage sensor once, as a person going through the turnstile.</summary>
    public void SimulatePassage() => Passage?.Invoke();
}
