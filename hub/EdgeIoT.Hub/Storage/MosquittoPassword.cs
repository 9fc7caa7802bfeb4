using System.Security.Cryptography;
using System.Text;

namespace EdgeIoT.Hub.Storage;

/// <summary>
/// Password hashes in the format of Mosquitto 2.0's password file ("$7$": PBKDF2-HMAC-SHA512,
/// 12-byte salt, 64-byte hash, both base64), the default of mosquitto_passwd.
/// </summary>
public static class MosquittoPassword
{
    // mosquitto_passwd's default iteration count. The hub's passwords carry 192 random bits,
    // so a higher count would slow Mosquitto's logins without making guessing any harder.
    private const int Iterations = 101;
    private const int SaltLength = 12;
    private const int HashLength = 64;

    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);

        byte[] salt = RandomNumberGenerator.GetBytes(SaltLength);
        byte[] hash = Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA512, HashLength);
        return $"$7${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }
}
