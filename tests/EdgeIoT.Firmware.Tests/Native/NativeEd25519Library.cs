using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeIoT.Firmware.Tests.Native;

/// <summary>
/// The device image's Ed25519 C function (firmware/EdgeIoT.Firmware.Device/Native/edgeiot_ed25519.c)
/// compiled on the host with gcc into a shared library linked to libsodium, and loaded into
/// the test process, so tests call the very C code the interop module calls on the ESP32.
/// </summary>
public sealed class NativeEd25519Library : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgeiot-native-").FullName;
    private readonly IntPtr _handle;
    private readonly VerifyFunction _verify;

    public NativeEd25519Library()
    {
        if (!NativeToolchainFactAttribute.IsAvailable)
        {
            // The tests skip themselves; nothing to build.
            _verify = (_, _, _, _) => throw new InvalidOperationException("gcc or libsodium-dev is missing.");
            return;
        }

        string source = Path.Combine(RepositoryRoot(), "firmware", "EdgeIoT.Firmware.Device", "Native", "edgeiot_ed25519.c");
        string library = Path.Combine(_directory, "libedgeiot_ed25519.so");
        Compile(source, library);
        _handle = NativeLibrary.Load(library);
        _verify = Marshal.GetDelegateForFunctionPointer<VerifyFunction>(NativeLibrary.GetExport(_handle, "edgeiot_ed25519_verify"));
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int VerifyFunction(byte[] publicKey, byte[] message, nuint messageLength, byte[] signature);

    /// <summary>Returns the C function's result: 1 valid, 0 invalid, -1 libsodium failed to start.</summary>
    public int Verify(byte[] publicKey, byte[] message, int messageLength, byte[] signature) =>
        _verify(publicKey, message.Length == 0 ? [0] : message, (nuint)messageLength, signature);

    public void Dispose()
    {
        if (_handle != IntPtr.Zero)
        {
            NativeLibrary.Free(_handle);
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static void Compile(string source, string library)
    {
        var start = new ProcessStartInfo(NativeToolchainFactAttribute.GccPath!)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (string argument in new[] { "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-o", library, source, "-lsodium" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process gcc = Process.Start(start)!;
        string errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode != 0)
        {
            throw new InvalidOperationException($"gcc failed with exit code {gcc.ExitCode} on {source}:{Environment.NewLine}{errors}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EdgeIoT.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No EdgeIoT.sln above {AppContext.BaseDirectory}.");
    }
}
