using EdgeIoT.Firmware.Gate;

namespace EdgeIoT.VirtualDevice;

/// <summary>
/// The turnstile's relay, passage sensor, door contact and fire alarm input. With
/// <see cref="AutoPassage"/> on, a guest walks through on every release of the relay that
/// ended an admit's pulse, as most admitted guests do; on a lane with <see cref="HasDoorContact"/>
/// the guest opens the door before the passage and closes it after.
/// </summary>
public sealed class SimulatedGatePins : IGatePins
{
    private readonly Lock _sync = new();
    private int _pulses;
    private bool _doorOpen;
    private bool _fireAlarmActive;
    private bool _heldByFireAlarm;

    public event PassageHandler? Passage;

    public event GateInputHandler? DoorContactChanged;

    public event GateInputHandler? FireAlarmChanged;

    public bool RelayEnergized { get; private set; }

    /// <summary>Relay pulses since start, one per admitted guest.</summary>
    public int Pulses => Volatile.Read(ref _pulses);

    public bool AutoPassage { get; set; } = true;

    /// <summary>Whether the lane has a door position contact that simulated guests open and close.</summary>
    public bool HasDoorContact { get; init; }

    public bool FireAlarmActive
    {
        get
        {
            lock (_sync)
            {
                return _fireAlarmActive;
            }
        }
    }

    public bool DoorOpen
    {
        get
        {
            lock (_sync)
            {
                return _doorOpen;
            }
        }
    }

    public void SetRelay(bool energized)
    {
        bool autoPassage;
        lock (_sync)
        {
            bool released = RelayEnergized && !energized;
            RelayEnergized = energized;
            if (energized)
            {
                Interlocked.Increment(ref _pulses);

                // The fire alarm holds the relay, so its release lets no admitted guest through.
                _heldByFireAlarm |= _fireAlarmActive;
            }

            autoPassage = released && AutoPassage && !_heldByFireAlarm;
            if (released)
            {
                _heldByFireAlarm = false;
            }
        }

        if (autoPassage)
        {
            ThreadPool.QueueUserWorkItem(_ => WalkThrough());
        }
    }

    /// <summary>Fires the passage sensor once, as a person going through the turnstile.</summary>
    public void SimulatePassage() => Passage?.Invoke();

    /// <summary>Opens (true) or closes (false) the door, as a person or the door contact would; a lane without a door contact raises nothing.</summary>
    public void SetDoorOpen(bool open)
    {
        lock (_sync)
        {
            if (!HasDoorContact || _doorOpen == open)
            {
                return;
            }

            _doorOpen = open;
        }

        DoorContactChanged?.Invoke(open);
    }

    /// <summary>Sets the fire alarm panel's release input active (true) or back at rest (false).</summary>
    public void SetFireAlarm(bool active)
    {
        lock (_sync)
        {
            if (_fireAlarmActive == active)
            {
                return;
            }

            _fireAlarmActive = active;
        }

        FireAlarmChanged?.Invoke(active);
    }

    private void WalkThrough()
    {
        SetDoorOpen(true);
        SimulatePassage();
        SetDoorOpen(false);
    }
}
