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

/// <summary>Relay and passage sensor that record what the firmware did.</summary>
internal sealed class RecordingGatePins : IGatePins
{
    public event PassageHandler? Passage;

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
}

/// <summary>An MQTT transport whose PUBACKs the test releases one by one.</summary>
internal sealed class ManualTransport : IMqttTransport
{
    private readonly Queue<(string Topic, byte[] Payload, bool AtLeastOnce, PublishCompletedHandler Completed)> _pending = new();

    public bool IsConnected { get; set; }

    public List<(string Topic, byte[] Payload, bool AtLeastOnce)> Acknowledged { get; } = [];

    public int PendingCount => _pending.Count;

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
