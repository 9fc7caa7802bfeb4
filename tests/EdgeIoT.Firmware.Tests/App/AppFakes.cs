using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Gate;

namespace EdgeIoT.Firmware.Tests.App;

/// <summary>A device clock the test moves by hand.</summary>
internal sealed class ManualDeviceClock : IDeviceClock
{
    public long UnixMilliseconds { get; set; }

    public long MonotonicTicks { get; set; }

    public void Advance(TimeSpan by)
    {
        UnixMilliseconds += (long)by.TotalMilliseconds;
        MonotonicTicks += by.Ticks;
    }
}

/// <summary>Relay, passage sensor, door contact and fire alarm input that record what the firmware did.</summary>
internal sealed class RecordingGatePins : IGatePins
{
    public event PassageHandler? Passage;

    public event GateInputHandler? DoorContactChanged;

    public event GateInputHandler? FireAlarmChanged;

    public bool FireAlarmActive { get; set; }

    public bool RelayEnergized { get; private set; }

    public int Pulses { get; private set; }

    public void SetRelay(bool energized)
    {
        if (energized && !RelayEnergized)
        {
            Pulses++;
        }

        RelayEnergized = energized;
    }

    public void Pass() => Passage?.Invoke();

    public void OpenDoor() => DoorContactChanged?.Invoke(true);

    public void CloseDoor() => DoorContactChanged?.Invoke(false);

    public void SetFireAlarm(bool active)
    {
        FireAlarmActive = active;
        FireAlarmChanged?.Invoke(active);
    }
}

/// <summary>An MQTT transport whose PUBACKs the test releases one by one.</summary>
internal sealed class ManualTransport : IMqttTransport
{
    private readonly Queue<(string Topic, byte[] Payload, bool AtLeastOnce, PublishCompletedHandler Completed)> _pending = new();

    public bool IsConnected { get; set; }

    public List<(string Topic, byte[] Payload, bool AtLeastOnce)> Acknowledged { get; } = [];

    public int PendingCount => _pending.Count;

    /// <summary>Status payloads the firmware published retained, oldest first.</summary>
    public List<byte[]> Statuses { get; } = [];

    public void PublishStatus(byte[] payload) => Statuses.Add(payload);

    public void Publish(string topic, byte[] payload, bool atLeastOnce, PublishCompletedHandler completed) =>
        _pending.Enqueue((topic, payload, atLeastOnce, completed));

    /// <summary>Completes every publish, including the ones the completions trigger.</summary>
    public void AcknowledgeAll()
    {
        while (_pending.TryDequeue(out var publish))
        {
            Acknowledged.Add((publish.Topic, publish.Payload, publish.AtLeastOnce));
            publish.Completed(true);
        }
    }

    /// <summary>Sends the PUBACK of the oldest publish in flight only.</summary>
    public void AcknowledgeNext()
    {
        var publish = _pending.Dequeue();
        Acknowledged.Add((publish.Topic, publish.Payload, publish.AtLeastOnce));
        publish.Completed(true);
    }

    /// <summary>Fails the oldest publish in flight only, as a lost PUBACK does.</summary>
    public void FailNext() => _pending.Dequeue().Completed(false);

    public void FailAll()
    {
        while (_pending.TryDequeue(out var publish))
        {
            publish.Completed(false);
        }
    }
}
