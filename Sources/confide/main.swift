print("confide")
