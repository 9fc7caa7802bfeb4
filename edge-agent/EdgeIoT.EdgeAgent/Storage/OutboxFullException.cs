namespace EdgeIoT.EdgeAgent.Storage;

/// <summary>Thrown when the outbox is at capacity and the event is not a payment.</summary>
public sealed class OutboxFullException : Exception
{
    public OutboxFullException()
    {
    }

    public OutboxFullException(string message)
        : base(message)
    {
    }

    public OutboxFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
