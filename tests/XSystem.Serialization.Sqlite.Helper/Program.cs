using System.Globalization;
using XSystem.Serialization.Sqlite;

// A child process for the SqliteDictionary tests.
//   count <path> <n>          prints READY, waits for a line on stdin, then increments "counter" n times, each in its own transaction
//   read <path> <key>         prints the key's value, or <missing>
//   hold <path> <key> <value> writes the key in a transaction, prints WRITTEN, waits for a line on stdin, commits, prints COMMITTED
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: count|read|hold <path> ...");
    return 2;
}

var options = new SqliteDictionaryOptions { BusyTimeout = TimeSpan.FromSeconds(30) };
using var dictionary = new SqliteDictionary<long>(args[1], options);
switch (args[0])
{
    case "count":
        int iterations = int.Parse(args[2], CultureInfo.InvariantCulture);
        Console.WriteLine("READY");
        Console.ReadLine();
        for (int i = 0; i < iterations; i++)
        {
            dictionary.Batch(transaction =>
            {
                transaction["counter"] = (transaction.TryGetValue("counter", out long value) ? value : 0) + 1;
            });
        }

        Console.WriteLine("DONE");
        return 0;
    case "read":
        Console.WriteLine(dictionary.TryGetValue(args[2], out long found) ? found.ToString(CultureInfo.InvariantCulture) : "<missing>");
        return 0;
    case "hold":
        using (SqliteDictionaryTransaction<long> transaction = dictionary.Transaction())
        {
            transaction[args[2]] = long.Parse(args[3], CultureInfo.InvariantCulture);
            Console.WriteLine("WRITTEN");
            Console.ReadLine();
            transaction.Commit();
        }

        Console.WriteLine("COMMITTED");
        Console.ReadLine();
        return 0;
    default:
        Console.Error.WriteLine($"unknown command {args[0]}");
        return 2;
}
