namespace EdgeIoT.EdgeAgent.Storage;

/// <summary>One stored event waiting for the hub's acknowledgement; the payload is EdgeEvent JSON.</summary>
public sealed record OutboxEntry(long Seq, string Kind, byte[] Payload);
