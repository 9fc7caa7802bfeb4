namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>Kind of credential a token carries.</summary>
    public enum TokenType : byte
    {
        Session = 1,
        Delegated = 2,
    }
}
