// Entry point of a child process started by XSystem.Ipc.Tests. The first argument names the role to play.
Console.Error.WriteLine($"unknown role: {(args.Length > 0 ? args[0] : "(none)")}");
return 2;
