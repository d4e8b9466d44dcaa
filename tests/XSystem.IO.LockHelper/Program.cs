using System.Globalization;
using XSystem.IO;

// Usage:
//   count <lockPath> <counterPath> <iterations>   read, parse, +1 and write the counter file under the lock, N times
//   hold <lockPath>                               acquire the lock, print "LOCKED", then wait until killed
if (args.Length == 4 && args[0] == "count")
{
    int iterations = int.Parse(args[3], CultureInfo.InvariantCulture);
    for (int i = 0; i < iterations; i++)
    {
        using FileLock held = FileLock.Acquire(args[1], TimeSpan.FromSeconds(60));
        // Deliberately not atomic: without the lock two processes lose increments.
        string text = File.Exists(args[2]) ? File.ReadAllText(args[2]) : "0";
        int value = text.Length == 0 ? 0 : int.Parse(text, CultureInfo.InvariantCulture);
        File.WriteAllText(args[2], (value + 1).ToString(CultureInfo.InvariantCulture));
    }

    Console.WriteLine("DONE");
    return 0;
}

if (args.Length == 2 && args[0] == "hold")
{
    using FileLock held = FileLock.Acquire(args[1], TimeSpan.FromSeconds(60));
    Console.WriteLine("LOCKED");
    Console.Out.Flush();
    Thread.Sleep(Timeout.Infinite);
    return 0;
}

Console.Error.WriteLine("usage: count <lock> <counter> <n> | hold <lock>");
return 2;
