namespace EdgeIoT.Hub.Storage;

/// <summary>One checkpoint pass: its mode, whether it was blocked, the WAL frames before it and those copied into the database.</summary>
internal sealed record WalCheckpointResult(string Mode, bool Busy, long LogFrames, long CheckpointedFrames);
