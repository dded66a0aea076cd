import IDGraph
print("x")
