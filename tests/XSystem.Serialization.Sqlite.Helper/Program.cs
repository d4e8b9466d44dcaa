Console.WriteLine("placeholder");
return 0;
