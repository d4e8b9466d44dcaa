using System.Globalization;
using XSystem.IO;

// Usage: XSystem.IO.CrashHelper <path> [payloadBytes]
// Rewrites <path> forever through AtomicFile.WriteAllBytes, alternating a payload of all 'A' bytes and one of
// all 'B' bytes. Prints "ready" once the loop starts, so a test can kill it (SIGKILL) at a random moment and
// check that the file always holds one complete payload.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: XSystem.IO.CrashHelper <path> [payloadBytes]");
    return 2;
}

string path = args[0];
int size = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1024 * 1024;
byte[] a = new byte[size];
byte[] b = new byte[size];
a.AsSpan().Fill((byte)'A');
b.AsSpan().Fill((byte)'B');

Console.Out.WriteLine("ready");
Console.Out.Flush();
for (long i = 0; ; i++)
{
    AtomicFile.WriteAllBytes(path, (i & 1) == 0 ? a : b);
}
