"""Demo hubs from the seeds (Rivne, Novovolynsk, Truskavets, Vinnytsia) and their users.
Sits on top of the other contexts because it fills all of them."""
