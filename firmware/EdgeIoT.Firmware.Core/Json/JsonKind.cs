namespace EdgeIoT.Firmware.Json
{
    /// <summary>Kind of a parsed JSON value.</summary>
    public enum JsonKind : byte
    {
        Null = 0,
        Boolean = 1,
        Integer = 2,
        String = 3,
        Array = 4,
        Object = 5,
    }
}
