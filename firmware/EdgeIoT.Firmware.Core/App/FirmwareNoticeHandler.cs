namespace EdgeIoT.Firmware.App
{
    /// <summary>
    /// Receives a notable condition of the firmware, such as "queue_full" or "keys_rejected",
    /// with a readable detail. Hosts log it; the firmware itself has no logger.
    /// </summary>
    public delegate void FirmwareNoticeHandler(string code, string detail);
}
