"""An index of an actor's records, (actor, record), in place of the index of the actor
alone (added first, so lookups by actor never go without one)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0019_search_pairs_by_language'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='recordactor',
            index=models.Index(fields=['actor', 'record'], name='recordactor_actor_record'),
        ),
        migrations.AlterField(
            model_name='recordactor',
            name='actor',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='record_roles', to='records.actor', verbose_name='actor'),
        ),
    ]
